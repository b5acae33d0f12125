// Blocking UDP for one TFTP transfer, driven from a worker thread: every call is one plain
// syscall, so a lock-step round trip costs no event-loop wake-up, no allocation and no copy
// beyond the kernel's own.

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <node_api.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  int fd;
  int family;
  // The server's address: a datagram is "from the peer" when its source address matches,
  // whatever its port, since the server's TID (port) is learnt from its first reply.
  struct sockaddr_storage peer;
  socklen_t peer_len;
  struct sockaddr_storage last;
  socklen_t last_len;
  // SO_RCVTIMEO currently set, so that the common case (same wait as last time) costs no syscall.
  int timeout_ms;
  // How long recv() polls without sleeping before it blocks; see recv_datagram.
  int spin_us;
  // Polls that found nothing in a row, and receives left before polling is tried again: a peer
  // that never answers within spin_us (a real network's round trip) must not cost CPU for nothing.
  int misses;
  int skip;
} UdpSocket;

#define MISSES_BEFORE_BACKOFF 8
#define BACKOFF_RECEIVES 1024

#define CHECK_NAPI(env, call)                                   \
  do {                                                          \
    if ((call) != napi_ok) {                                    \
      napi_throw_error((env), NULL, "N-API call failed: " #call); \
      return NULL;                                              \
    }                                                           \
  } while (0)

static napi_value throw_errno(napi_env env, const char* syscall) {
  int err = errno;
  char message[160];
  const char* name = strerrorname_np(err);
  snprintf(message, sizeof message, "%s %s: %s", syscall, name ? name : "E?", strerror(err));
  // `code` carries the errno name, as Node's own errors do, so callers map it like any fs error.
  napi_throw_error(env, name ? name : "EUNKNOWN", message);
  return NULL;
}

static void finalize(napi_env env, void* data, void* hint) {
  (void)env;
  (void)hint;
  UdpSocket* s = data;
  // A worker that is terminated never reaches close(): the fd must not outlive the object.
  if (s->fd >= 0) close(s->fd);
  free(s);
}

static UdpSocket* unwrap(napi_env env, napi_callback_info info, size_t want, napi_value* argv) {
  size_t argc = want;
  napi_value self;
  void* data = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, &self, NULL) != napi_ok || napi_unwrap(env, self, &data) != napi_ok) {
    napi_throw_error(env, NULL, "not a UdpSocket");
    return NULL;
  }
  if (argc < want) {
    napi_throw_type_error(env, NULL, "missing arguments");
    return NULL;
  }
  UdpSocket* s = data;
  if (s->fd < 0) {
    napi_throw_error(env, "EBADF", "UdpSocket is closed");
    return NULL;
  }
  return s;
}

static bool get_int(napi_env env, napi_value v, int32_t* out) {
  if (napi_get_value_int32(env, v, out) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected a number");
    return false;
  }
  return true;
}

static bool get_bytes(napi_env env, napi_value v, char** data, size_t* length) {
  if (napi_get_buffer_info(env, v, (void**)data, length) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected a Buffer");
    return false;
  }
  return true;
}

static bool range_ok(napi_env env, size_t size, int32_t offset, int32_t length) {
  if (offset < 0 || length < 0 || (size_t)offset + (size_t)length > size) {
    napi_throw_range_error(env, NULL, "offset/length outside the buffer");
    return false;
  }
  return true;
}

// Fills `out` from an IP literal and port for this socket's family.
static bool to_sockaddr(napi_env env, UdpSocket* s, napi_value address, int32_t port, struct sockaddr_storage* out, socklen_t* len) {
  char text[INET6_ADDRSTRLEN + 1];
  size_t n;
  if (napi_get_value_string_utf8(env, address, text, sizeof text, &n) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected an address string");
    return false;
  }
  memset(out, 0, sizeof *out);
  int ok;
  if (s->family == AF_INET6) {
    struct sockaddr_in6* a = (struct sockaddr_in6*)out;
    a->sin6_family = AF_INET6;
    a->sin6_port = htons((uint16_t)port);
    ok = inet_pton(AF_INET6, text, &a->sin6_addr);
    *len = sizeof *a;
  } else {
    struct sockaddr_in* a = (struct sockaddr_in*)out;
    a->sin_family = AF_INET;
    a->sin_port = htons((uint16_t)port);
    ok = inet_pton(AF_INET, text, &a->sin_addr);
    *len = sizeof *a;
  }
  if (ok != 1) {
    napi_throw_error(env, "EINVAL", "not an IP address of the socket's family");
    return false;
  }
  return true;
}

static bool same_address(const UdpSocket* s) {
  if (s->last.ss_family != s->peer.ss_family) return false;
  if (s->family == AF_INET6) {
    return memcmp(&((const struct sockaddr_in6*)&s->last)->sin6_addr, &((const struct sockaddr_in6*)&s->peer)->sin6_addr, sizeof(struct in6_addr)) == 0;
  }
  return ((const struct sockaddr_in*)&s->last)->sin_addr.s_addr == ((const struct sockaddr_in*)&s->peer)->sin_addr.s_addr;
}

static uint16_t last_port(const UdpSocket* s) {
  return ntohs(s->family == AF_INET6 ? ((const struct sockaddr_in6*)&s->last)->sin6_port : ((const struct sockaddr_in*)&s->last)->sin_port);
}

static ssize_t recv_once(UdpSocket* s, char* buffer, size_t length, int flags) {
  ssize_t n;
  do {
    s->last_len = sizeof s->last;
    n = recvfrom(s->fd, buffer, length, flags, (struct sockaddr*)&s->last, &s->last_len);
  } while (n < 0 && errno == EINTR);
  return n;
}

// new UdpSocket(family: 4 | 6, receiveBufferBytes)
static napi_value construct(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], self;
  CHECK_NAPI(env, napi_get_cb_info(env, info, &argc, argv, &self, NULL));
  int32_t family, rcvbuf;
  if (argc < 2) {
    napi_throw_type_error(env, NULL, "expected (family, receiveBufferBytes)");
    return NULL;
  }
  if (!get_int(env, argv[0], &family) || !get_int(env, argv[1], &rcvbuf)) return NULL;
  if (family != 4 && family != 6) {
    napi_throw_range_error(env, NULL, "family must be 4 or 6");
    return NULL;
  }
  UdpSocket* s = calloc(1, sizeof *s);
  if (!s) {
    napi_throw_error(env, "ENOMEM", "out of memory");
    return NULL;
  }
  s->family = family == 6 ? AF_INET6 : AF_INET;
  s->timeout_ms = -1;
  s->fd = socket(s->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s->fd < 0) {
    throw_errno(env, "socket");
    free(s);
    return NULL;
  }
  // A whole window of large blocks must fit while the worker is busy writing to disk.
  if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf) != 0) {
    throw_errno(env, "setsockopt(SO_RCVBUF)");
    close(s->fd);
    free(s);
    return NULL;
  }
  if (napi_wrap(env, self, s, finalize, NULL, NULL) != napi_ok) {
    close(s->fd);
    free(s);
    napi_throw_error(env, NULL, "napi_wrap failed");
    return NULL;
  }
  return self;
}

// bind(address, port): number, the local port
static napi_value bind_socket(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  UdpSocket* s = unwrap(env, info, 2, argv);
  if (!s) return NULL;
  int32_t port;
  struct sockaddr_storage local;
  socklen_t len;
  if (!get_int(env, argv[1], &port) || !to_sockaddr(env, s, argv[0], port, &local, &len)) return NULL;
  if (bind(s->fd, (struct sockaddr*)&local, len) != 0) return throw_errno(env, "bind");
  len = sizeof local;
  if (getsockname(s->fd, (struct sockaddr*)&local, &len) != 0) return throw_errno(env, "getsockname");
  napi_value result;
  CHECK_NAPI(env, napi_create_int32(env, s->family == AF_INET6 ? ntohs(((struct sockaddr_in6*)&local)->sin6_port) : ntohs(((struct sockaddr_in*)&local)->sin_port), &result));
  return result;
}

// setPeer(address): sets the address send() goes to and recv() compares sources with.
static napi_value set_peer(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  UdpSocket* s = unwrap(env, info, 1, argv);
  if (!s) return NULL;
  if (!to_sockaddr(env, s, argv[0], 0, &s->peer, &s->peer_len)) return NULL;
  return NULL;
}

// recv(buffer, offset, length, timeoutMs, source: Int32Array[2]): number
// Returns the datagram's size, or -1 when nothing came within timeoutMs (<= 0: do not wait).
// source[0] = the sender's port, source[1] = 1 when it sent from the peer's address.
static napi_value recv_datagram(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  UdpSocket* s = unwrap(env, info, 5, argv);
  if (!s) return NULL;
  char* data;
  size_t size;
  int32_t offset, length, timeout_ms;
  if (!get_bytes(env, argv[0], &data, &size) || !get_int(env, argv[1], &offset) || !get_int(env, argv[2], &length) ||
      !get_int(env, argv[3], &timeout_ms) || !range_ok(env, size, offset, length))
    return NULL;
  napi_typedarray_type type;
  size_t source_length;
  void* source_data;
  if (napi_get_typedarray_info(env, argv[4], &type, &source_length, &source_data, NULL, NULL) != napi_ok || type != napi_int32_array ||
      source_length < 2) {
    napi_throw_type_error(env, NULL, "source must be an Int32Array of 2");
    return NULL;
  }
  int flags = 0;
  if (timeout_ms <= 0) {
    flags = MSG_DONTWAIT;
  } else if (timeout_ms != s->timeout_ms) {
    // A blocking recvfrom bounded by SO_RCVTIMEO is one syscall per datagram, where poll+recvfrom is two.
    struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
    if (setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) return throw_errno(env, "setsockopt(SO_RCVTIMEO)");
    s->timeout_ms = timeout_ms;
  }
  ssize_t n = -1;
  errno = EAGAIN;
  if (flags == 0 && s->spin_us > 0 && s->skip > 0) {
    s->skip--;
  } else if (flags == 0 && s->spin_us > 0) {
    // A sleeping thread (and, in a VM, its halted vCPU) takes tens of microseconds to wake, as
    // long as a whole loopback round trip: polling briefly first answers a prompt peer sooner.
    struct timespec start, now;
    if (clock_gettime(CLOCK_MONOTONIC, &start) != 0) return throw_errno(env, "clock_gettime");
    for (;;) {
      n = recv_once(s, data + offset, (size_t)length, MSG_DONTWAIT);
      if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) break;
      if (clock_gettime(CLOCK_MONOTONIC, &now) != 0) return throw_errno(env, "clock_gettime");
      if ((now.tv_sec - start.tv_sec) * 1000000L + (now.tv_nsec - start.tv_nsec) / 1000 >= s->spin_us) break;
    }
    if (n >= 0) {
      s->misses = 0;
    } else if (++s->misses >= MISSES_BEFORE_BACKOFF) {
      s->misses = 0;
      s->skip = BACKOFF_RECEIVES;
    }
  }
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) n = recv_once(s, data + offset, (size_t)length, flags);
  // ECONNREFUSED cannot happen on an unconnected socket; EAGAIN is the timeout.
  if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return throw_errno(env, "recvfrom");
  if (n >= 0) {
    int32_t* source = source_data;
    source[0] = last_port(s);
    source[1] = same_address(s) ? 1 : 0;
  }
  napi_value result;
  CHECK_NAPI(env, napi_create_int32(env, n < 0 ? -1 : (int32_t)n, &result));
  return result;
}

static napi_value send_common(napi_env env, UdpSocket* s, napi_value buffer, napi_value length_value, const struct sockaddr_storage* to, socklen_t to_len) {
  char* data;
  size_t size;
  int32_t length;
  if (!get_bytes(env, buffer, &data, &size) || !get_int(env, length_value, &length) || !range_ok(env, size, 0, length)) return NULL;
  ssize_t n;
  do {
    n = sendto(s->fd, data, (size_t)length, 0, (const struct sockaddr*)to, to_len);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return throw_errno(env, "sendto");
  return NULL;
}

// send(buffer, length, port): to the peer's address at `port`.
static napi_value send_to_peer(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  UdpSocket* s = unwrap(env, info, 3, argv);
  if (!s) return NULL;
  int32_t port;
  if (!get_int(env, argv[2], &port)) return NULL;
  if (s->peer_len == 0) {
    napi_throw_error(env, "EDESTADDRREQ", "setPeer() first");
    return NULL;
  }
  struct sockaddr_storage to = s->peer;
  if (s->family == AF_INET6) ((struct sockaddr_in6*)&to)->sin6_port = htons((uint16_t)port);
  else ((struct sockaddr_in*)&to)->sin_port = htons((uint16_t)port);
  return send_common(env, s, argv[0], argv[1], &to, s->peer_len);
}

// reply(buffer, length): to whoever sent the datagram recv() returned last.
static napi_value send_reply(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  UdpSocket* s = unwrap(env, info, 2, argv);
  if (!s) return NULL;
  if (s->last_len == 0) {
    napi_throw_error(env, "EDESTADDRREQ", "nothing received yet");
    return NULL;
  }
  return send_common(env, s, argv[0], argv[1], &s->last, s->last_len);
}

// setSpin(microseconds): how long recv() polls before it sleeps; 0 never polls.
static napi_value set_spin(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  UdpSocket* s = unwrap(env, info, 1, argv);
  if (!s) return NULL;
  int32_t spin_us;
  if (!get_int(env, argv[0], &spin_us)) return NULL;
  if (spin_us < 0 || spin_us > 1000000) {
    napi_throw_range_error(env, NULL, "spin must be 0..1000000 microseconds");
    return NULL;
  }
  s->spin_us = spin_us;
  return NULL;
}

static napi_value close_socket(napi_env env, napi_callback_info info) {
  size_t argc = 0;
  napi_value self;
  void* data;
  CHECK_NAPI(env, napi_get_cb_info(env, info, &argc, NULL, &self, NULL));
  CHECK_NAPI(env, napi_unwrap(env, self, &data));
  UdpSocket* s = data;
  if (s->fd < 0) return NULL;
  int fd = s->fd;
  s->fd = -1;
  // Linux releases the fd even when close reports an error, so there is nothing to retry.
  if (close(fd) != 0 && errno != EINTR) return throw_errno(env, "close");
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor methods[] = {
      {"bind", NULL, bind_socket, NULL, NULL, NULL, napi_default, NULL},
      {"setPeer", NULL, set_peer, NULL, NULL, NULL, napi_default, NULL},
      {"recv", NULL, recv_datagram, NULL, NULL, NULL, napi_default, NULL},
      {"send", NULL, send_to_peer, NULL, NULL, NULL, napi_default, NULL},
      {"reply", NULL, send_reply, NULL, NULL, NULL, napi_default, NULL},
      {"setSpin", NULL, set_spin, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, close_socket, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_value cls;
  CHECK_NAPI(env, napi_define_class(env, "UdpSocket", NAPI_AUTO_LENGTH, construct, NULL, sizeof methods / sizeof methods[0], methods, &cls));
  CHECK_NAPI(env, napi_set_named_property(env, exports, "UdpSocket", cls));
  return exports;
}
