#!/usr/bin/env bash
# Checks docker/Dockerfile without a Docker engine (none runs on the CI machines): parses the
# instructions and verifies what the image promises, and syntax-checks every RUN command with sh -n.
# Usage: docker/build-steps.sh [path/to/Dockerfile]      (exit 0 = all checks passed)
# The same checks run in Java as fi.callgate.gateway.observability.DockerfileTest.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
dockerfile="${1:-$here/Dockerfile}"
failures=0

ok()   { printf '  ok    %s\n' "$*"; }
fail() { printf '  FAIL  %s\n' "$*"; failures=$((failures + 1)); }
warn() { printf '  warn  %s\n' "$*"; }

# One instruction per line: drop comment and blank lines, join backslash continuations.
instructions="$(
  grep -v -E '^[[:space:]]*(#|$)' "$dockerfile" |
  awk '{ if (sub(/\\[[:space:]]*$/, "")) { buf = buf $0 " " } else { print buf $0; buf = "" } }'
)"
keyword() { awk '{ print toupper($1) }'; }
args()    { sed -E 's/^[[:space:]]*[A-Za-z]+[[:space:]]+//'; }

# The final stage = everything after the last FROM.
last_from=$(printf '%s\n' "$instructions" | keyword | grep -n '^FROM$' | tail -1 | cut -d: -f1)
final_stage="$(printf '%s\n' "$instructions" | tail -n +"$last_from")"
in_final() { printf '%s\n' "$final_stage" | grep -i -E "^[[:space:]]*$1[[:space:]]" | args || true; }

echo "Checking $dockerfile"

froms=$(printf '%s\n' "$instructions" | keyword | grep -c '^FROM$' || true)
[[ $froms -ge 2 ]] && ok "multi-stage ($froms FROM)" || fail "expected a multi-stage build, found $froms FROM"

first_from="$(printf '%s\n' "$instructions" | grep -i -m1 -E '^FROM[[:space:]]' | args)"
[[ $first_from =~ ^maven:3\.9-eclipse-temurin-17[[:space:]]+[Aa][Ss][[:space:]]+build$ ]] \
  && ok "build stage: $first_from" || fail "build stage should be 'maven:3.9-eclipse-temurin-17 AS build', is '$first_from'"
printf '%s\n' "$instructions" | grep -q -E '^RUN .*mvn -B -q package -DskipTests' \
  && ok "build stage runs mvn -B -q package -DskipTests" || fail "no 'mvn -B -q package -DskipTests' RUN"
runtime_from="$(printf '%s\n' "$final_stage" | head -1 | args)"
[[ $runtime_from =~ ^eclipse-temurin:17-jre ]] && ok "runtime image: $runtime_from" \
  || fail "runtime image should be eclipse-temurin:17-jre*, is '$runtime_from'"

user="$(in_final USER | tail -1)"
user_name="${user%%:*}"
if [[ -z $user ]]; then
  fail "no USER in the runtime stage: the appliance would run as root"
elif [[ $user_name == root || $user_name == 0 ]]; then
  fail "USER is root ($user)"
else
  ok "runs as non-root USER $user"
  if [[ $user_name =~ ^[0-9]+$ ]]; then
    printf '%s\n' "$final_stage" | grep -q -E "useradd .*--uid $user_name( |$)" \
      && ok "uid $user_name is created by useradd" || fail "uid $user_name is not created by useradd --uid"
  fi
fi

health="$(in_final HEALTHCHECK)"
[[ $health == *"CMD"*"http://127.0.0.1:9464/health"* ]] && ok "HEALTHCHECK on /health" \
  || fail "HEALTHCHECK must probe http://127.0.0.1:9464/health, is '$health'"

exposed=" $(in_final EXPOSE | tr '\n' ' ') "
for port in 2222 9464; do
  [[ $exposed == *" $port "* || $exposed == *" $port/tcp "* ]] && ok "EXPOSE $port" || fail "port $port not exposed"
done

entry="$(in_final ENTRYPOINT | tail -1)"
expected='["java", "-jar", "/opt/callgate/callgate.jar", "serve"]'
[[ $entry == "$expected" ]] && ok "ENTRYPOINT $entry" || fail "ENTRYPOINT should be $expected, is $entry"

# The jar the runtime copies must be the one the shade plugin writes.
jar_src="$(in_final 'COPY' | grep -E -- '--from=build' | grep -o -E '[^ ]*callgate\.jar' | head -1 || true)"
final_name="$(grep -o -E '<finalName>[^<]+</finalName>' "$root/gateway/pom.xml" | sed -E 's/<[^>]+>//g' | head -1)"
[[ $jar_src == "/src/gateway/target/${final_name}.jar" ]] && ok "copies the shaded jar gateway/target/${final_name}.jar" \
  || fail "runtime copies '$jar_src' but the shade plugin writes gateway/target/${final_name}.jar"
main_class="$(grep -o -E '<mainClass>[^<]+</mainClass>' "$root/gateway/pom.xml" | sed -E 's/<[^>]+>//g' | head -1)"
main_file="$root/gateway/src/main/java/${main_class//.//}.java"
[[ -f $main_file ]] && ok "main class $main_class exists" || warn "main class $main_class has no source yet ($main_file)"

# Every COPY from the build context must exist there, or the build fails.
while read -r src; do
  [[ -z $src ]] && continue
  if [[ -e $root/$src ]]; then ok "build context has $src"
  elif [[ $src == config/* && ! -d $root/config ]]; then warn "build context has no config/ yet ($src)"
  else fail "COPY source $src missing from the build context"; fi
done < <(printf '%s\n' "$instructions" | grep -i -E '^COPY[[:space:]]' | grep -v -- '--from=' | args | awk '{ for (i = 1; i < NF; i++) print $i }')

# The master key must not live inside data-dir.
env_line="$(in_final ENV | tr '\n' ' ')"
data_dir="$(grep -o -E 'CALLGATE_DATA_DIR=[^ ]+' <<<"$env_line" | cut -d= -f2 || true)"
key_file="$(grep -o -E 'CALLGATE_MASTER_KEY_FILE=[^ ]+' <<<"$env_line" | cut -d= -f2 || true)"
if [[ -n $data_dir && -n $key_file && $key_file != "$data_dir"/* ]]; then
  ok "master key $key_file is outside data-dir $data_dir"
else
  fail "CALLGATE_DATA_DIR ($data_dir) and CALLGATE_MASTER_KEY_FILE ($key_file) must be set, the key outside data-dir"
fi

# Every RUN command must at least be valid shell.
n=0
while IFS= read -r cmd; do
  n=$((n + 1))
  cmd="$(sed -E 's/^(--[a-z]+=[^ ]+ +)*//' <<<"$cmd")"
  if sh -n -c "$cmd" 2>/dev/null; then ok "RUN #$n is valid sh"; else fail "RUN #$n is not valid sh: $cmd"; fi
done < <(printf '%s\n' "$instructions" | grep -E '^RUN[[:space:]]' | args)

ignore="$here/$(basename "$dockerfile").dockerignore"
if [[ -f $ignore ]]; then
  for p in 'data/' 'keys/' '**/target/'; do
    grep -q -x -F "$p" "$ignore" && ok "$p kept out of the build context" || fail "$ignore does not exclude $p"
  done
else
  fail "no $ignore: local data and keys would enter the build context"
fi

if [[ $failures -gt 0 ]]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
