/** The producer service: workers that run learned-optimizer unroll segments and emit trajectory segments. */
package org.metaopt.producer;
