/** The evaluator service: scores optimizer versions on held-out suites against tuned baselines. */
package org.metaopt.evaluator;
