#!/usr/bin/env bash
# Label-matcher regexes: Klaxon's engine (KlaxonRegex) beside Foundation's NSRegularExpression (ICU) on
# Prometheus-typical patterns over 10 000 label values (Benchmarks/regexbench): matches per second of each
# and the ratio (goal: Klaxon faster on every pattern), then `(a+)+b` on ever longer values of a's, which
# must stay linear for Klaxon. Prints the load average before and after: two shared cores make absolute
# figures move, the ratio is the figure to read.
# Environment: ROUNDS (15), SKIP_BUILD=1 to use an existing Benchmarks build.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
REGEXBENCH="$(benchmarks_binary regexbench)"
log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$REGEXBENCH"
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
