#!/usr/bin/env bash
# Builds one libFuzzer harness and runs it for a given time.
#
#   Fuzz/run.sh HARNESS SECONDS [extra libFuzzer flags…]
#
# A harness is a folder Fuzz/HARNESS/ with main.swift (defining LLVMFuzzerTestOneInput via
# @_cdecl), a file `modules` naming the Klaxon modules it needs, in dependency order, and
# optionally seeds/ and a libFuzzer dictionary `dict`.
# Each module is compiled from Sources/ with coverage instrumentation into Fuzz/bin/.
# The corpus lives in Fuzz/corpus-HARNESS (seeded from Fuzz/HARNESS/seeds when present);
# failing inputs are written as Fuzz/crash-HARNESS-{crash,leak,timeout,oom,slow-unit}-SHA1 (git
# ignores them, and the artefacts a harness binary run by hand leaves in Fuzz/ or the root).
# Leak detection is off by default: Foundation's regex compiler leaks on failed patterns, which
# LeakSanitizer reports at exit. Prints the cause of a failure and libFuzzer's final stats.
set -euo pipefail
harness=${1:?usage: Fuzz/run.sh HARNESS SECONDS}
seconds=${2:?usage: Fuzz/run.sh HARNESS SECONDS}
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/Fuzz/$harness"
[ -f "$dir/main.swift" ] || { echo "no harness at $dir/main.swift" >&2; exit 2; }
out="$root/Fuzz/bin/$harness"
mkdir -p "$out"
flags=(-O -g -parse-as-library -sanitize=fuzzer,address -package-name klaxon -swift-version 6 -I "$out")
for shim in "$root"/Sources/C*/; do flags+=(-I "$shim"); done
objects=()
log="$out/build.log"
: > "$log"
# The linker's notes about sanitizer symbols are noise; the log is shown only when a step fails.
build() { "$@" >> "$log" 2>&1 || { cat "$log" >&2; exit 1; }; }
while read -r module; do
  [ -z "$module" ] && continue
  # Sub-folders count too (Sources/KlaxonServer/CLI), as they do for SwiftPM.
  mapfile -t srcs < <(find "$root/Sources/$module" -name '*.swift' | sort)
  build swiftc "${flags[@]}" -module-name "$module" -emit-module -emit-module-path "$out/$module.swiftmodule" \
    -emit-object -wmo -o "$out/$module.o" "${srcs[@]}"
  objects+=("$out/$module.o")
done < "$dir/modules"
build swiftc "${flags[@]}" -module-name "Fuzz_$harness" "$dir/main.swift" "${objects[@]}" -lz -o "$out/fuzz"
corpus="$root/Fuzz/corpus-$harness"
mkdir -p "$corpus"
[ -d "$dir/seeds" ] && cp -n "$dir/seeds"/* "$corpus"/ 2>/dev/null || true
cd "$root/Fuzz"
# Swift's own crash backtracer, under AddressSanitizer, reports its memory reads as errors and
# hides the fatal error's message; libFuzzer's report is enough.
status=0
# A harness may bring a libFuzzer dictionary of its language's words.
dict=()
[ -f "$dir/dict" ] && dict=(-dict="$dir/dict")
SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=no} ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} "$out/fuzz" "$corpus" \
  -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$root/Fuzz/crash-$harness-" "${dict[@]}" "$@" \
  > "$out/run.log" 2>&1 || status=$?
# A failure's cause (a Swift fatal error or the sanitizer's first line) comes before libFuzzer's stats.
grep -m 3 -E "Fatal error|ERROR: (AddressSanitizer|libFuzzer)" "$out/run.log" || true
tail -n 15 "$out/run.log"
exit "$status"
