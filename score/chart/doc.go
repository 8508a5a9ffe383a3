// Package chart draws candor's pictures: a scorecard binning (Binning), the
// score distribution by outcome (Scores), population stability per feature
// (PSI) and fairness selection rates with intervals (Selection), as SVG,
// PNG or PDF.
//
// It is the only candor package that links gonum/plot and its fonts, so a
// service that scores and explains never links them; the command line, the
// examples and users who want pictures import it. Errors for a format other
// than svg, png or pdf (or a nil report) wrap ErrFormat.
package chart
