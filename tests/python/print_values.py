ratio = 0.1
big = 12_345_678_901
print("values:", 1, 2.5, ratio, big, True, None)
print(1e16, 1e-05, 100.0, -0.0)
print("tab\there")
