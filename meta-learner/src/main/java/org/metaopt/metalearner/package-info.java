/** The meta-learner service: windows of segments to meta-gradient estimates to new optimizer versions. */
package org.metaopt.metalearner;
