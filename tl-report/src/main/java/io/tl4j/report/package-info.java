/**
 * Training reports: one self-contained offline HTML file per model (settings, provenance, loss and
 * metrics per epoch, learning-rate schedule, confusion matrix heat map, per-class precision, recall
 * and F1, worst-classified examples through a domain's {@link io.tl4j.report.ExampleView}) and the same
 * charts as PNG files, drawn with JFreeChart; with a learning-rate range test, its plot. {@link
 * io.tl4j.report.CurvePlots} writes the charts of learning curves and range tests on their own.
 */
package io.tl4j.report;
