/* Wrong: prints the reply with printf, then waits for the server to close
   without closing itself. Its output is still in stdio's buffer (a pipe is
   fully buffered) when verify stops it. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
    char line[1024], reply[1024];
    if (argc < 3 || !fgets(line, sizeof line, stdin)) return 1;
    line[strcspn(line, "\n")] = 0;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons(atoi(argv[2]));
    inet_pton(AF_INET, argv[1], &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("connect"); return 1; }
    send(fd, line, strlen(line), 0);
    ssize_t n = recv(fd, reply, sizeof reply - 1, 0);
    if (n < 0) return 1;
    reply[n] = 0;
    printf("%s\n", reply);
    while (recv(fd, reply, sizeof reply, 0) > 0) {
    }
    close(fd);
    return 0;
}
