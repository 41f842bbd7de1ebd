import threading
import time


def burn_cpu(seconds):
    """CPU work: spin until this thread has used `seconds` of CPU time."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def crunch(name):
    burn_cpu(0.4)
    print(f"{name} done")


a = threading.Thread(target=crunch, args=("a",))
b = threading.Thread(target=crunch, args=("b",))
a.start()
b.start()
a.join()
b.join()
print("both done: the GIL made them take turns")
