// `swift run -c release Benchmarks`: figures go to Docs/benchmarks.md.
print("benchmarks")
