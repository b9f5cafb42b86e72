#!/usr/bin/env bash
# Provision a local Docker engine and the sandbox base image, with no container registry.
# Idempotent: when everything is up it prints one line and exits in well under a second.
#   SANDBOX_BASE_IMAGE   image name            (default sandbox-base:bookworm)
#   SANDBOX_DOCKERD_LOG  dockerd log file      (default /var/log/sandbox-dockerd.log)
#   SANDBOX_MIRROR       Debian mirror URI     (default: read from this machine's apt sources)
# shellcheck disable=SC2016  # sh -c '..."$0"...' ARG is used on purpose to run redirections as root
set -euo pipefail
shopt -s nullglob

IMAGE="${SANDBOX_BASE_IMAGE:-sandbox-base:bookworm}"
LOG="${SANDBOX_DOCKERD_LOG:-/var/log/sandbox-dockerd.log}"
LOCK="${SANDBOX_ENGINE_LOCK:-/tmp/sandbox-engine-up.lock}"
SUITE=bookworm
PACKAGES=python3,python3-pip,ca-certificates
MARK=org.sandbox.base   # label set on the image once it passed its smoke test
REV="$SUITE.2"          # bump when the recipe below changes: older images are rebuilt
export DEBIAN_FRONTEND=noninteractive

step() { echo "engine-up: $*" >&2; }
die()  { echo "engine-up: ERROR: $*" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then SUDO=()
elif command -v sudo >/dev/null; then SUDO=(sudo -n)
else SUDO=(no_root); fi
no_root() { die "must run as root or with passwordless sudo for: $*"; }
as_root() { "${SUDO[@]}" "$@"; }

engine_ok() { timeout 10 docker info >/dev/null 2>&1; }
image_ok()  { [ "$(docker image inspect -f "{{index .Config.Labels \"$MARK\"}}" "$IMAGE" 2>/dev/null)" = "$REV" ]; }
report() {
  local ver id
  ver=$(docker version -f '{{.Server.Version}}')
  id=$(docker image inspect -f '{{.Id}}' "$IMAGE"); id=${id#sha256:}
  echo "engine ready: $ver, base image $IMAGE ${id:0:12}"
}

# Fast path: nothing to do.
if engine_ok && image_ok; then report; exit 0; fi

# Slow path: serialise concurrent callers, then re-check under the lock.
[ -e "$LOCK" ] || { : >>"$LOCK" && chmod 0666 "$LOCK"; }
exec 9<"$LOCK"   # read-only open: works on a lock file another user created in sticky /tmp
flock -w 1200 9 || die "timed out waiting for lock $LOCK"
if engine_ok && image_ok; then report; exit 0; fi

apt_install() {   # apt_install PKG...: install, running apt-get update only when needed
  local opts=(-y -q -o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confold)
  step "installing $* with apt-get"
  if ! apt-cache show "$@" >/dev/null 2>&1 || ! as_root apt-get install "${opts[@]}" "$@" </dev/null >&2; then
    step "apt-get update"
    as_root apt-get update -q </dev/null >&2
    as_root apt-get install "${opts[@]}" "$@" </dev/null >&2 || die "apt-get install $* failed"
  fi
}

need=()
command -v dockerd >/dev/null || [ -x /usr/sbin/dockerd ] || need+=(docker.io)
command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || need+=(debootstrap)
# the docker runner watches a product's network from the host (harness/runners/netwatch.py: ip, nsenter)
command -v ip >/dev/null || [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || need+=(iproute2)
command -v nsenter >/dev/null || need+=(util-linux)
[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
export PATH="$PATH:/usr/sbin:/sbin"

if ! engine_ok; then
  if pgrep -x dockerd >/dev/null; then
    step "dockerd already running but not answering yet; waiting"
  else
    step "starting dockerd (log: $LOG)"
    as_root mkdir -p "$(dirname "$LOG")"
    # New session, no stdin/stdout, lock fd closed: the daemon must not hold the caller's pipes or our lock.
    as_root sh -c 'exec setsid -f dockerd >>"$0" 2>&1 </dev/null' "$LOG" 9>&-
  fi
  sock=/var/run/docker.sock
  for _ in $(seq 60); do
    engine_ok && break
    [ -S "$sock" ] && [ ! -w "$sock" ] && die "engine is up but $(id -un) cannot use $sock (add the user to group 'docker')"
    sleep 1
  done
  if ! engine_ok; then
    echo "--- tail of $LOG ---" >&2; as_root tail -n 30 "$LOG" >&2 || true
    die "docker engine did not answer within 60 s"
  fi
  step "engine up: $(docker version -f '{{.Server.Version}}')"
fi

find_mirror() {   # first URI of a deb entry for $SUITE main in the apt sources
  local f m
  for f in /etc/apt/sources.list.d/*.sources; do
    m=$(awk -v s="$SUITE" '
      function flush() { if (deb && st && mn && en && uri != "") { print uri; found = 1; exit }
                         deb = st = mn = 0; en = 1; uri = "" }
      BEGIN { en = 1 }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      { k = tolower($1) }
      k == "types:"      { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
      k == "uris:"       { uri = $2 }
      k == "suites:"     { for (i = 2; i <= NF; i++) if ($i == s) st = 1 }
      k == "components:" { for (i = 2; i <= NF; i++) if ($i == "main") mn = 1 }
      k == "enabled:"    { en = (tolower($2) != "no") }
      END { if (!found) flush() }' "$f")
    [ -z "$m" ] || { echo "$m"; return; }
  done
  local lists=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list)
  for f in "${lists[@]}"; do
    [ -r "$f" ] || continue
    m=$(awk -v s="$SUITE" '$1 == "deb" { i = 2
          if ($2 ~ /^\[/) { while (i < NF && $i !~ /\]$/) i++; i++ }
          if ($(i + 1) == s) for (j = i + 2; j <= NF; j++) if ($j == "main") { print $i; exit } }' "$f")
    [ -z "$m" ] || { echo "$m"; return; }
  done
}

if ! image_ok; then
  MIRROR="${SANDBOX_MIRROR:-$(find_mirror)}"
  [ -n "$MIRROR" ] || die "no 'deb $SUITE main' entry in /etc/apt/sources.list{,.d/*} (set SANDBOX_MIRROR)"
  ROOTFS=$(as_root mktemp -d /var/tmp/sandbox-rootfs.XXXXXX)
  TMPTAG="$IMAGE-building-$$"
  cleanup() {   # unmount anything debootstrap left mounted before deleting, never cross file systems
    awk -v r="$ROOTFS/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r \
      | while read -r mnt; do "${SUDO[@]}" umount -l "$mnt" || true; done
    "${SUDO[@]}" rm -rf --one-file-system "$ROOTFS" || true
    docker rmi "$TMPTAG" >/dev/null 2>&1 || true
  }
  trap cleanup EXIT
  step "debootstrap $SUITE ($PACKAGES) from $MIRROR into $ROOTFS"
  as_root debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$ROOTFS" "$MIRROR" </dev/null >&2 \
    || { as_root tail -n 20 "$ROOTFS/debootstrap/debootstrap.log" >&2 || true; die "debootstrap failed"; }
  # Drop caches; drop Debian's PEP 668 marker so `pip install` of host-downloaded wheels works in images.
  as_root sh -c 'rm -rf "$0"/var/cache/apt/archives/*.deb "$0"/var/lib/apt/lists/* "$0"/tmp/* \
    "$0"/usr/lib/python3*/EXTERNALLY-MANAGED' "$ROOTFS"
  step "importing rootfs as $IMAGE"
  as_root tar -C "$ROOTFS" --numeric-owner -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' --change 'CMD ["python3"]' \
    --change "LABEL $MARK=$REV" - "$TMPTAG" >/dev/null
  step "smoke test: hardened container runs python3 and pip"
  docker run --rm --network none --read-only --cap-drop ALL --security-opt no-new-privileges \
    --user 65534:65534 "$TMPTAG" sh -c 'python3 -c "import sys; print(sys.version)" && python3 -m pip --version' >&2 \
    || die "smoke test of the new base image failed"
  docker tag "$TMPTAG" "$IMAGE"   # the tag appears only once the image is known to work
fi

report
