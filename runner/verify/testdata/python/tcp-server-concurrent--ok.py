# A correct tcp-server-concurrent: one thread per client.
import socket
import sys
import threading


def serve(client):
    with client:
        while True:
            data = client.recv(1024)
            if not data:
                break
            client.sendall(data)


server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.bind((sys.argv[1], int(sys.argv[2])))
server.listen(128)
while True:
    client, addr = server.accept()
    threading.Thread(target=serve, args=(client,), daemon=True).start()
