# Wrong: every client at once, but a threading.Thread for each, as the
# concurrent exercise does; this one asks for a single thread.
import socket
import sys
import threading


def serve(conn):
    while True:
        data = conn.recv(1024)
        if not data:
            break
        conn.sendall(data)
    conn.close()


srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind((sys.argv[1], int(sys.argv[2])))
srv.listen(16)
while True:
    conn, _ = srv.accept()
    threading.Thread(target=serve, args=(conn,)).start()
