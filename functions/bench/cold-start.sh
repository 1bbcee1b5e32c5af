#!/usr/bin/env bash
# Measures handlers' cold starts from the shaded Lambda jars alone, in fresh JVMs (Java 17 here, C1
# only as the functions run; Lambda runs 21 with SnapStart, which restores an initialised JVM instead).
# Usage: functions/bench/cold-start.sh [runs]   (after mvn -B -DskipTests package)
# API_JAR=... WORKFLOW_JAR=... measure other jars the same way; BASELINE_JAR=... (an older build's
# single Lambda jar, say) adds its probes to the same rounds, and each median's ratio to it.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"
api_jar=${API_JAR:-$(ls functions/target/intake-functions-*-api.jar)}
workflow_jar=${WORKFLOW_JAR:-$(ls functions/target/intake-functions-*-workflow.jar)}
out=functions/target/bench-classes
mkdir -p "$out"
javac -d "$out" -cp "$api_jar" functions/bench/ColdStart.java
echo "api jar:      $api_jar ($(stat -c %s "$api_jar") bytes)"
echo "workflow jar: $workflow_jar ($(stat -c %s "$workflow_jar") bytes)"
baseline_jar=${BASELINE_JAR:-}
[ -z "$baseline_jar" ] || echo "baseline jar: $baseline_jar ($(stat -c %s "$baseline_jar") bytes)"

# No AWS here: the SDK's endpoint is a stub on 127.0.0.1 that answers every DynamoDB call with an
# empty item, so DescribeDatasetImportJob does a real signed round trip and answers "not found".
port_file=$(mktemp)
python3 - "$port_file" <<'PY' &
import http.server, sys
class Empty(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Empty)
open(sys.argv[1], "w").write(str(server.server_port))
server.serve_forever()
PY
stub=$!
results=$(mktemp)
trap 'kill $stub 2>/dev/null; rm -f "$port_file" "$results"' EXIT
until [ -s "$port_file" ]; do sleep 0.1; done
export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=probe AWS_SECRET_ACCESS_KEY=probe \
  AWS_ENDPOINT_URL="http://127.0.0.1:$(cat "$port_file")" CONTROL_TABLE=control RECORDS_TABLE=records \
  RESULTS_BUCKET=results POWERTOOLS_SERVICE_NAME=intake POWERTOOLS_METRICS_NAMESPACE=Intake

describe=dev.intake.personalize.DescribeDatasetImportJobHandler
job='{"datasetImportJobArn": "arn:aws:personalize:us-east-1:000000000000:dataset-import-job/x"}'
probes=(
  "api-jar|invalid-request|$api_jar|$describe|{\"datasetImportJobArn\": 5}"
  "api-jar|dynamodb-call|$api_jar|$describe|$job"
  "workflow-jar|dynamodb-call|$workflow_jar|$describe|$job"
  "workflow-jar|task-Start|$workflow_jar|dev.intake.workflow.StartTask|{\"jobName\": \"x\"}"
)
if [ -n "$baseline_jar" ]; then
  probes+=(
    "baseline-jar|invalid-request|$baseline_jar|$describe|{\"datasetImportJobArn\": 5}"
    "baseline-jar|dynamodb-call|$baseline_jar|$describe|$job"
    "baseline-jar|task-Start|$baseline_jar|dev.intake.workflow.StartTask|{\"jobName\": \"x\"}"
  )
fi
# Round robin, so that what else the machine does falls on every probe alike.
for i in $(seq "$runs"); do
  for probe in "${probes[@]}"; do
    IFS='|' read -r jar_label label jar handler body <<<"$probe"
    line=$(java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -cp "$jar:$out" ColdStart "$handler" "$body" 2>&1 >/dev/null \
      | grep -o 'status=.*')
    echo "$jar_label $label $line" | tee -a "$results"
  done
done
echo "median of $runs runs (ratio: to the baseline jar's same probe)"
median() { # probe label, field
  grep "^$1 $2 " "$results" | grep -o "$3=[0-9]*" | cut -d= -f2 | sort -n \
    | awk '{v[NR]=$1} END {print NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'
}
printf "  %-32s %22s %22s %20s\n" "" "JVM start to response" "CPU time until then" "classes loaded"
for probe in "${probes[@]}"; do
  IFS='|' read -r jar_label label _ <<<"$probe"
  line=$(printf "  %-32s" "$jar_label $label")
  for field in jvm_to_first_response_ms cpu_ms classes_loaded; do
    m=$(median "$jar_label" "$label" "$field")
    ratio=""
    if [ -n "$baseline_jar" ]; then
      b=$(median baseline-jar "$label" "$field")
      ratio=$(awk -v m="$m" -v b="$b" 'BEGIN {printf "%.2f", m / b}')
    fi
    unit=$([ "$field" = classes_loaded ] && echo "  " || echo ms)
    line+=$(printf " %12d %s %5s" "$m" "$unit" "$ratio")
  done
  echo "$line"
done
