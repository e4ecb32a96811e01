/** metaopt producer service (the streaming pipeline fills this in; see the issues). */
package org.metaopt.producer;
