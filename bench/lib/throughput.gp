# Throughput vs concurrency per scenario (median over rounds, bars = min..max). Called by bench/run:
#   gnuplot -e "datafile='throughput.dat'; outfile='throughput.png'; subtitle='...'; stitle='S ...'" bench/lib/throughput.gp
set terminal pngcairo size 960,600 enhanced font "DejaVu Sans,11"
set output outfile
set datafile missing "?"
set title "keycloak-m2m vs vanilla Keycloak: client\\_credentials tokens/s\n{/*0.8 ".subtitle."}"
set xlabel "concurrent connections (wrk, keep-alive)"
set ylabel "tokens/s (median over rounds, bars: min-max)"
set logscale x 2
set xtics (1, 2, 4, 8, 16, 32, 64, 128)
set yrange [0:*]
set key outside right top vertical
set grid ytics
set offsets graph 0.05, graph 0.05, 0, 0
plot datafile using 1:2:3:4    with yerrorlines lw 2 pt 7  lc rgb "#000000" title "V vanilla", \
     ''       using 1:5:6:7    with yerrorlines lw 2 pt 5  lc rgb "#1b9e77" title "P ours, plain", \
     ''       using 1:8:9:10   with yerrorlines lw 2 pt 9  lc rgb "#1f5fbf" title "A ours, audience", \
     ''       using 1:11:12:13 with yerrorlines lw 2 pt 11 lc rgb "#d95f02" title "Q ours, quota", \
     ''       using 1:14:15:16 with yerrorlines lw 2 pt 13 lc rgb "#c0143c" dt 2 title stitle noenhanced
