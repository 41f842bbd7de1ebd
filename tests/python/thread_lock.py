import threading
import time

lock = threading.Lock()


def worker(name):
    with lock:
        print(f"{name} in")
        time.sleep(0.2)
        print(f"{name} out")


t1 = threading.Thread(target=worker, args=("t1",))
t1.start()
time.sleep(0.05)
t2 = threading.Thread(target=worker, args=("t2",))
t2.start()
t1.join()
t2.join()
with lock:
    print("main has the lock")
