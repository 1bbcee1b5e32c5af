#!/usr/bin/env bash
# Measures a handler's cold start from the shaded Lambda jar alone, in fresh JVMs (Java 17 here;
# Lambda runs 21 with SnapStart, which restores an initialised JVM instead).
# Usage: functions/bench/cold-start.sh [runs]   (after mvn -B -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"
jar=$(ls functions/target/intake-functions-*-lambda.jar)
out=functions/target/bench-classes
mkdir -p "$out"
javac -d "$out" -cp "$jar" functions/bench/ColdStart.java
echo "jar: $jar ($(stat -c %s "$jar") bytes)"

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
trap 'kill $stub 2>/dev/null; rm -f "$port_file"' EXIT
until [ -s "$port_file" ]; do sleep 0.1; done
export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=probe AWS_SECRET_ACCESS_KEY=probe \
  AWS_ENDPOINT_URL="http://127.0.0.1:$(cat "$port_file")" CONTROL_TABLE=control RECORDS_TABLE=records \
  RESULTS_BUCKET=results POWERTOOLS_SERVICE_NAME=intake POWERTOOLS_METRICS_NAMESPACE=Intake

probe() {
  local label=$1 handler=$2 body=$3
  for i in $(seq "$runs"); do
    java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -cp "$jar:$out" ColdStart "$handler" "$body" 2>&1 >/dev/null \
      | grep -o 'status=.*' | sed "s/^/$label /"
  done
}
probe invalid-request dev.intake.personalize.DescribeDatasetImportJobHandler '{"datasetImportJobArn": 5}'
probe dynamodb-call dev.intake.personalize.DescribeDatasetImportJobHandler \
  '{"datasetImportJobArn": "arn:aws:personalize:us-east-1:000000000000:dataset-import-job/x"}'
