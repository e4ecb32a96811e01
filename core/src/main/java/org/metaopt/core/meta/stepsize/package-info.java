/**
 * Seed 2 (Wang, Yuan, Wu, Ge, ICML 2021): tuning the step size of gradient descent by learning to learn — closed-form
 * naive and log meta-objectives on quadratics with a log-space meta-gradient, a forward-mode reference through the
 * unroll, meta-gradient descent on the step size, and the train-by-train vs train-by-validation least-squares study.
 */
package org.metaopt.core.meta.stepsize;
