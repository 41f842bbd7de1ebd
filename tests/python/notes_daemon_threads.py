import threading
import time

def worker():
    print("Worker started")
    time.sleep(5)
    print("Worker finished")

# Daemon Thread
t1 = threading.Thread(target=worker, daemon=True)
# Non-Daemon Thread
t2 = threading.Thread(target=worker, daemon=False)

t1.start()
t2.start()

print("Main program exiting...")
