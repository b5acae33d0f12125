{
  "targets": [
    {
      "target_name": "udp_sync",
      "sources": ["udp_sync.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "defines": ["_GNU_SOURCE", "NAPI_VERSION=8"]
    }
  ]
}
