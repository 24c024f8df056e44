# Honest: one thread, the selectors module waiting on every socket at once,
# as the exercise asks in Python.
import selectors
import socket
import sys

sel = selectors.DefaultSelector()
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((sys.argv[1], int(sys.argv[2])))
srv.listen(16)
sel.register(srv, selectors.EVENT_READ)
while True:
    for key, _ in sel.select():
        s = key.fileobj
        if s is srv:
            conn, _ = srv.accept()
            sel.register(conn, selectors.EVENT_READ)
            continue
        data = s.recv(1024)
        if data:
            s.sendall(data)
        else:
            sel.unregister(s)
            s.close()
