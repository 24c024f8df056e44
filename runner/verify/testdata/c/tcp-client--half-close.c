/* A correct tcp-client in C that half-closes (shutdown SHUT_WR) and reads
   the reply until the server closes. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    char line[1024], reply[4096];
    if (argc < 3 || !fgets(line, sizeof line, stdin)) return 1;
    line[strcspn(line, "\n")] = 0;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons(atoi(argv[2]));
    inet_pton(AF_INET, argv[1], &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("connect"); return 1; }
    send(fd, line, strlen(line), 0);
    shutdown(fd, SHUT_WR);
    size_t n = 0;
    ssize_t m;
    while (n < sizeof reply - 1 && (m = recv(fd, reply + n, sizeof reply - 1 - n, 0)) > 0) n += m;
    reply[n] = 0;
    printf("%s\n", reply);
    close(fd);
    return 0;
}
