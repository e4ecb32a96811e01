#!/usr/bin/env bash
# metaopt's whole Adam step (TrainingStepBench) against the JAX/XLA peer (../shared/peers/run-jax-step.sh), both on
# core 0, alternated shape by shape for ROUNDS rounds so that the machine's drift hits both sides alike; prints one
# line per pair with the ratio. Optionally a second metaopt build (BEFORE=DIR, a checkout built with
# `mvn -o -q package -DskipTests`) in the same rounds. Usage, from the repository root after `mvn -q package -DskipTests`:
#   bench/peer-step.sh [ROUNDS (3)]        PEERS=DIR overrides ../shared/peers
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds="${1:-3}"
peers="${PEERS:-../shared/peers}"
[ -x "$peers/run-jax-step.sh" ] || { echo "peer-step: no $peers/run-jax-step.sh (set PEERS=DIR)" >&2; exit 2; }
[ -f bench/target/metaopt-bench.jar ] || { echo "peer-step: build first: mvn -q package -DskipTests" >&2; exit 2; }
export OMP_NUM_THREADS=1
now="ops/target/metaopt.jar:ops/target/lib/*:bench/target/metaopt-bench.jar"
before="${BEFORE:+$BEFORE/ops/target/metaopt.jar:$BEFORE/ops/target/lib/*:bench/target/metaopt-bench.jar}"
jmh() { # classpath shape -> "score error" in µs
  taskset -c 0 java -cp "$1" org.openjdk.jmh.Main TrainingStepBench -p optimizer=adam -p shape="$2" \
    -wi 4 -i 5 -w 1 -r 1 -f 1 2>/dev/null | awk '/^TrainingStepBench/ {print $(NF-3), $(NF-1)}'
}
printf '%-5s %-22s %10s %18s %7s %18s %7s\n' round shape jax_us metaopt_us ratio before_us ratio
for r in $(seq 1 "$rounds"); do
  for s in "784-128-10/128 784,128,10 128" "784-1024-1024-10/128 784,1024,1024,10 128" "49-32-10/64 49,32,10 64"; do
    set -- $s
    jax=$("$peers/run-jax-step.sh" "$2" "$3" 2>/dev/null | python3 -c \
      'import json,sys; print([d for d in (json.loads(l) for l in sys.stdin if l.startswith("{")) if d["optimizer"] == "adam"][0]["usPerStepMedian"])')
    read -r ours ours_err <<<"$(jmh "$now" "$1")"
    b="-"; be=""; br="-"
    if [ -n "$before" ]; then read -r b be <<<"$(jmh "$before" "$1")"; br=$(python3 -c "print(f'{$b/$jax:.2f}')"); fi
    printf '%-5s %-22s %10.1f %18s %7.2f %18s %7s\n' "$r" "$1" "$jax" "$ours ± $ours_err" \
      "$(python3 -c "print($ours/$jax)")" "$b${be:+ ± $be}" "$br"
  done
done
