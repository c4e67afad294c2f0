# Reads `jfr print --stack-depth 300 --events jdk.ExecutionSample` of one recording; prints one line of counts:
# samples endpoint ours quota quota_pgjdbc quota_pool quota_jta quota_other quota_headers
# and then "top <count> <frame>" for the 8 most frequent top frames of the quota's samples.
# A sample is in a category when a frame of its stack is; the quota's samples are split by quota_part
# (profile-quota.awk, given first: awk -f profile-quota.awk -f profile.awk).
function classify(   i, q, f) {
  total++
  for (i = 1; i <= nf; i++) { f = fr[i]
    if (f ~ /TokenEndpoint\.processGrantRequest$/) { endpoint++; break } }
  for (i = 1; i <= nf; i++) if (fr[i] ~ /^dev\.keycloakm2m\.token\./) { ours++; break }
  for (i = 1; i <= nf; i++) if (fr[i] ~ /^dev\.keycloakm2m\.quota\.QuotaHeaders\./) { headers++; break }
  q = 0; for (i = 1; i <= nf; i++) if (fr[i] ~ /^dev\.keycloakm2m\.quota\.QuotaService\.reserve$/) { q = 1; break }
  if (!q) return
  quota++; qc[quota_part(fr, 1, nf, 1)]++; top[fr[1]]++
}
/^jdk\.ExecutionSample/ { nf = 0; next }
/^  stackTrace = \[/ { st = 1; next }
st && /^  \]/ { st = 0; classify(); next }
st && /^ +[a-zA-Z_$]/ { f = $0; sub(/^ +/, "", f); sub(/\(.*/, "", f); fr[++nf] = f }
END {
  printf "%d %d %d %d %d %d %d %d %d\n", total, endpoint, ours, quota, qc["pgjdbc"], qc["pool"], qc["jta"], qc["other"], headers
  for (k in top) printf "top %d %s\n", top[k], k | "sort -k2,2nr | head -8"
}
