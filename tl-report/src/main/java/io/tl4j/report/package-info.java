/**
 * Training reports: one self-contained offline HTML file per model (settings, provenance, loss and
 * metrics per epoch, learning-rate schedule, confusion matrix heat map, per-class precision, recall
 * and F1, worst-classified examples through a domain's {@link io.tl4j.report.ExampleView}) and the same
 * charts as PNG files, drawn with JFreeChart.
 */
package io.tl4j.report;
