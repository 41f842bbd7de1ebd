import threading
import time


def save():
    print("Saving started")
    time.sleep(1.5)
    print("Saving finished")


def worker():
    print("Worker started")
    time.sleep(0.5)
    print("Worker finished")


t1 = threading.Thread(target=save)
t1.start()
t2 = threading.Thread(target=worker)
t2.start()
print("Main program exiting...")
