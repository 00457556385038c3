print("train-bench: under construction")
