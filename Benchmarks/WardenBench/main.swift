// warden-bench: numbers a reader can compare. Build in release: `swift run -c release warden-bench`.
print("Warden benchmarks (single thread, in-process)")
runReasoningBenchmarks()
runSigV4Benchmarks()
runWireBenchmarks()
runPolicyBenchmarks()
