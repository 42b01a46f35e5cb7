#!/usr/bin/env bash
# Long fuzzing runs (Jazzer, each target for its @FuzzTest maxDuration, 60 s): bench/fuzz.sh
# Plain `mvn test` only replays the committed inputs; JAZZER_FUZZ=1 fuzzes one target per run.
# A finding is written by Jazzer into the target's ...Inputs/<method>/ directory: commit it, it then
# runs as a regression test in every build.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
for t in fi.callgate.fuzz.CallListParserFuzzTest#arbitraryBytes \
         fi.callgate.fuzz.CallListParserFuzzTest#cellsNeverReachTheReport \
         fi.callgate.fuzz.PersonalIdCodeFuzzTest#detectorAgreesWithReference \
         fi.callgate.fuzz.PhoneNumberNormaliserFuzzTest#agreesWithLibphonenumber \
         fi.callgate.fuzz.PgpDecryptorFuzzTest#nothingReachesTheSink \
         fi.callgate.fuzz.HugePacketFuzzTest#hugeDeclaredLengthsAreRefusedInBoundedMemory; do
  JAZZER_FUZZ=1 mvn -B -q -pl routes test -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false
done
JAZZER_FUZZ=1 mvn -B -q -pl gateway -am test -Dtest='VirtualPathFuzzTest#neverLeavesTheRoot' \
    -Dsurefire.failIfNoSpecifiedTests=false
