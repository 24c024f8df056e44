#!/usr/bin/env bash
# Compares the throughput lesson's TCP transfer with iperf3 on loopback, in
# the same run, and prints both rates and the ratio. Installs iperf3 from
# the Debian packages if it is missing and that is possible; without it,
# only sockstep's rate is measured.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v iperf3 >/dev/null; then
	if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
		echo "installing iperf3…" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y iperf3 >/dev/null 2>&1 ||
			echo "could not install iperf3: measuring sockstep alone" >&2
	else
		echo "iperf3 is not installed (and cannot be installed here): measuring sockstep alone" >&2
	fi
fi
runs=${RUNS:-5}
go test ./lessons -run '^$' -bench '^BenchmarkTCPThroughput$' -benchtime 1x -count "$runs"
