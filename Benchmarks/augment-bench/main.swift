print("augment-bench: under construction")
