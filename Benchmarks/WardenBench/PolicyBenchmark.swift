func runPolicyBenchmarks() {}
