#!/usr/bin/env bash
##===- scripts/gpu-tests.sh - GPU execution tests -------------------------===//
##
## SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
##
##===----------------------------------------------------------------------===//
#
# Usage:
#   scripts/gpu-tests.sh build DIR   (CPU machine, after scripts/setup.sh)
#   scripts/gpu-tests.sh run DIR OUT (GPU machine: needs only the driver)
#   scripts/gpu-tests.sh check DIR OUT (CPU machine: FileCheck the outputs)
#
# build generates the test modules (golden vectors of test/vectors and
# random cases from test/lib/mxoracle.py for every preset, M in {1, 16, 4096}),
# compiles each with scripts/mx-gpu-aot.sh into DIR/bin/<name> and keeps the
# module with its CHECK lines in DIR/checks/<name>.mlir. run executes every
# binary in DIR/bin and writes OUT/<name>.out (stdout), .err and .rc. check
# compares the outputs with the expected bit patterns (any NaN matches any
# NaN; everything else bit for bit) and prints "gpu-tests: N passed, N failed".
# Environment: MX_NVVM_OPTIONS (default chip=sm_90a), JOBS, TEST_TIMEOUT
# (seconds per binary in run, default 120).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VECTORS="$ROOT/test/vectors"
GEN="$ROOT/test/Integration/MX/CPU/gen_vector_test.py"
cmd="${1:-}"; DIR="${2:-}"
[[ -n "$cmd" && -n "$DIR" ]] || { sed -n '/^# Usage/,/^# Environment/p' "$0" >&2; exit 2; }


case "$cmd" in
build)
  mkdir -p "$DIR/bin" "$DIR/checks"
  jobs=()
  for f in "$VECTORS"/*.json; do
    n="$(basename "$f" .json)"
    jobs+=("$n||$f")
  done
  for p in mxfp4 amxfp4 amxfp4-pot nvfp4 mxfp6-e2m3 mxfp6-e3m2 mxfp8-e4m3 \
           mxfp8-e5m2 mxint8; do
    jobs+=("synth_${p}_M16|--mx-quantize-matmul=lhs-format=$p,rhs-format=$p|--synth $p $p --shape 16,8,70 --seed 7")
  done
  for p in mxfp4 amxfp4 nvfp4; do
    jobs+=("synth_${p}_M1|--mx-quantize-matmul=lhs-format=$p,rhs-format=$p|--synth $p $p --shape 1,64,96 --seed 8")
    jobs+=("synth_${p}_M4096|--mx-quantize-matmul=lhs-format=$p,rhs-format=$p|--synth $p $p --shape 4096,8,64 --seed 9 --cases 1")
  done
  # Partial tiles of the tensor-core kernels: M and N not multiples of the
  # 16 x 8 warp tile or of the 4-warp block, a partial last block.
  for p in amxfp4 nvfp4; do
    jobs+=("synth_${p}_M33_N72|--mx-quantize-matmul=lhs-format=$p,rhs-format=$p|--synth $p $p --shape 33,72,100 --seed 11 --cases 1")
  done
  jobs+=("synth_amxfp4_x_mxfp4_bf16|--mx-quantize-matmul=lhs-format=amxfp4,rhs-format=mxfp4|--synth amxfp4 mxfp4 --shape 16,16,130 --result-type bf16 --seed 10")
  for j in "${jobs[@]}"; do
    IFS='|' read -r name opts args <<<"$j"
    opts="${opts//,/ }"
    if [[ -z "$args" ]]; then args="$VECTORS/$name.json"; fi
    echo "== build $name"
    # shellcheck disable=SC2086
    python3 "$GEN" $args "$DIR/checks/$name.mlir" --main-i32
    # The option value needs its quotes: pass it as one argument.
    if [[ -n "$opts" ]]; then
      bash "$ROOT/scripts/mx-gpu-aot.sh" "$DIR/checks/$name.mlir" "$DIR/bin/$name" "$opts"
    else
      bash "$ROOT/scripts/mx-gpu-aot.sh" "$DIR/checks/$name.mlir" "$DIR/bin/$name"
    fi
  done
  ;;
run)
  OUT="${3:?output folder}"
  mkdir -p "$OUT"
  for exe in "$DIR"/bin/*; do
    n="$(basename "$exe")"
    start=$(date +%s%N)
    set +e
    timeout "${TEST_TIMEOUT:-120}" "$exe" > "$OUT/$n.out" 2> "$OUT/$n.err"
    echo $? > "$OUT/$n.rc"
    set -e
    end=$(date +%s%N)
    echo "$n rc=$(cat "$OUT/$n.rc") $(( (end - start) / 1000000 )) ms"
  done
  ;;
check)
  OUT="${3:?output folder}"
  pass=0; fail=0
  for chk in "$DIR"/checks/*.mlir; do
    n="$(basename "$chk" .mlir)"
    if [[ -f "$OUT/$n.out" && "$(cat "$OUT/$n.rc" 2>/dev/null)" == 0 ]] &&
       /usr/lib/llvm-22/bin/FileCheck "$chk" < "$OUT/$n.out" > "$OUT/$n.fc" 2>&1; then
      pass=$((pass + 1)); echo "PASS $n"
    else
      fail=$((fail + 1)); echo "FAIL $n"
    fi
  done
  echo "gpu-tests: $pass passed, $fail failed"
  (( fail == 0 ))
  ;;
*) echo "unknown command $cmd" >&2; exit 2 ;;
esac
