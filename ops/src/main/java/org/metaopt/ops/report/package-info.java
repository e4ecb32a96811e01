/**
 * Self-contained HTML reports: {@link org.metaopt.ops.report.HtmlReport} assembles headings, paragraphs, tables
 * and figures into one .html file with every plot embedded as a PNG data URI; {@link org.metaopt.ops.report.Plots}
 * draws line and bar charts with XChart (headless AWT); {@link org.metaopt.ops.report.EvaluationReport} and
 * {@link org.metaopt.ops.report.TrainingReport} are the reports of {@code evaluate} and of a meta-training run.
 */
package org.metaopt.ops.report;
