# Throughput vs concurrency per scenario of one database variant (median over rounds, bars = min..max). Called by
# bench/run:  gnuplot -e "datafile='throughput-h2.dat'; outfile='throughput-h2.png'; subtitle='...'" bench/lib/throughput.gp
# Columns: c, then median min max of V V2 VS P PS A Q. One concurrency only: a bar per scenario instead of lines.
set terminal pngcairo size 1000,600 enhanced font "DejaVu Sans,11"
set output outfile
set datafile missing "?"
set title "keycloak-m2m vs vanilla Keycloak: client_credentials responses/s, server on one core\n".subtitle noenhanced
set ylabel "tokens/s (median over rounds, bars: min-max)"
set yrange [0:*]
set key outside right top vertical noenhanced
set grid ytics
stats datafile using 1 nooutput
if (STATS_records == 1) {
  set xlabel sprintf("scenario at c=%d (wrk, keep-alive)", STATS_min)
  set xrange [0.3:7.7]
  set xtics ("V" 1, "V2" 2, "VS" 3, "P" 4, "PS" 5, "A" 6, "Q" 7)
  set boxwidth 0.6
  set style fill solid 0.5
  plot datafile using (1):2 with boxes lc rgb "#000000" title "V vanilla", \
       ''       using (2):5 with boxes lc rgb "#777777" title "V2 vanilla (noise floor)", \
       ''       using (3):8 with boxes lc rgb "#7b3294" title "VS vanilla, small token", \
       ''       using (4):11 with boxes lc rgb "#1b9e77" title "P ours, plain", \
       ''       using (5):14 with boxes lc rgb "#a6761d" title "PS ours, small token", \
       ''       using (6):17 with boxes lc rgb "#1f5fbf" title "A ours, API token", \
       ''       using (7):20 with boxes lc rgb "#d95f02" title "Q ours, API token + quota", \
       for [i=0:6] '' using (i + 1):(column(2 + 3 * i)):(column(3 + 3 * i)):(column(4 + 3 * i)) with yerrorbars lc rgb "#000000" pt 0 notitle
} else {
  set xlabel "concurrent connections (wrk, keep-alive)"
  set logscale x 2
  set xtics (1, 2, 4, 8, 16, 32, 64, 128)
  set offsets graph 0.1, graph 0.1, 0, 0
  plot datafile using 1:2:3:4    with yerrorlines lw 2 pt 7  lc rgb "#000000" title "V vanilla", \
       ''       using 1:5:6:7    with yerrorlines lw 1 pt 6  lc rgb "#777777" dt 2 title "V2 vanilla (noise floor)", \
       ''       using 1:8:9:10   with yerrorlines lw 2 pt 4  lc rgb "#7b3294" title "VS vanilla, small token", \
       ''       using 1:11:12:13 with yerrorlines lw 2 pt 5  lc rgb "#1b9e77" title "P ours, plain", \
       ''       using 1:14:15:16 with yerrorlines lw 2 pt 13 lc rgb "#a6761d" title "PS ours, small token", \
       ''       using 1:17:18:19 with yerrorlines lw 2 pt 9  lc rgb "#1f5fbf" title "A ours, API token", \
       ''       using 1:20:21:22 with yerrorlines lw 2 pt 11 lc rgb "#d95f02" title "Q ours, API token + quota"
}
