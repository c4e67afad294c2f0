# quota_part(frames, from, to, step): where a sample in QuotaService.reserve was, by its top-most frame in pgjdbc
# (the statement), Agroal (the pool) or Narayana (suspending and resuming the request's JTA transaction): "pgjdbc",
# "pool", "jta" or "other". Walks frames[from], frames[from + step], ... up to frames[to] (top-most frame first) and
# stops at reserve itself. Frames are class.method with dots (JFR) or slashes (async-profiler). Shared by
# profile.awk and profile-native.awk (awk -f profile-quota.awk -f ...).
function quota_part(frames, from, to, step,   i) {
  for (i = from; step > 0 ? i <= to : i >= to; i += step) {
    if (frames[i] ~ /^org[\/.]postgresql[\/.]/) return "pgjdbc"
    if (frames[i] ~ /^io[\/.]agroal[\/.]/) return "pool"
    if (frames[i] ~ /^com[\/.]arjuna[\/.]/) return "jta"
    if (frames[i] ~ /QuotaService\.reserve$/) return "other"
  }
  return "other"
}
