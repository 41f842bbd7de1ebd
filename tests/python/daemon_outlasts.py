import threading
import time


def background():
    print("background started")
    time.sleep(1.0)
    print("background finished")


def worker():
    print("worker started")
    time.sleep(0.3)
    print("worker finished")


t1 = threading.Thread(target=background, daemon=True)
t1.start()
time.sleep(0.05)
t2 = threading.Thread(target=worker)
t2.start()
time.sleep(0.05)
print("main exiting")
