import math

a = sum(range(1000))
b = sum(i for i in range(1000))
c = sum(i ** 2 for i in range(1000))
d = sum(i * i for i in range(100_000))
e = sum(math.sqrt(i) for i in range(100_000))
f = sum(math.sqrt(i) for i in range(0))
print(a, b, c)
print(d)
print(e)
print(f)
