/**
 * Data sets held in memory: MNIST-format image sets (Fashion-MNIST, MNIST) read from IDX files, pooled,
 * normalized and split by seed, and synthetic sets (teacher-student classification, linear regression)
 * that need no files.
 */
package org.metaopt.core.data;
