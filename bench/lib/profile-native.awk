# Reads async-profiler's collapsed output (`threads` option: the first frame is "[thread-name tid=N]"; one line per
# stack: "frame;frame;...;leaf count", each count one sample of `interval` CPU time (10 ms)). Prints "group samples
# kernel_samples" per group: where the process's CPU went, Java, native and kernel code alike (a sample whose leaf
# frame ends in _[k] was in the kernel).
# Groups: quota (a stack through QuotaService.reserve) in the kernel or else split by quota_part (profile-quota.awk,
# given first); the rest of the request threads; the HTTP event loops; GC; JIT compilers; everything else.
{
  n = $NF; line = substr($0, 1, length($0) - length($NF) - 1)
  k = split(line, f, ";")
  thread = f[1]; kernel = f[k] ~ /_\[k\]$/
  if (line ~ /QuotaService\.reserve/) {
    g = kernel ? "quota-kernel" : "quota-" quota_part(f, k, 2, -1)
  }
  else if (thread ~ /^\[executor-thread/) g = "request-threads"
  else if (thread ~ /^\[vert\.x-eventloop/) g = "event-loop"
  else if (thread ~ /^\[(GC |G1 )/) g = "gc"
  else if (thread ~ /^\[C[12] Compiler/) g = "jit"
  else g = "other"
  s[g] += n; if (kernel) ks[g] += n
  s["total"] += n; if (kernel) ks["total"] += n
}
END { for (g in s) printf "%s %d %d\n", g, s[g], ks[g] }
