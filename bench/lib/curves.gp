# Realm-size curves (two nodes, PostgreSQL). Called by bench/run:
#   gnuplot -e "datafile='curves.dat'; outfile='curves.png'; subtitle='...'" bench/lib/curves.gp
# Columns: grants token_p50 admin_create admin_update admin_delete first_wellknown_node1 other_node_first_token
#          first_plain_token_node2 import_s m2m_heap_mib
set terminal pngcairo size 1200,650 enhanced font "DejaVu Sans,10"
set output outfile
set datafile missing "?"
set multiplot layout 1,3 title "keycloak-m2m: costs against realm size (grants; APIs = grants / 10)\n".subtitle noenhanced
set logscale x 10
set xlabel "grants in the realm"
set grid
set key below vertical noenhanced
set title "latency, p50 (ms)"
set logscale y 10
plot datafile using 1:2 with linespoints lw 2 pt 7 title "token (c=1)", \
     ''       using 1:3 with linespoints lw 2 pt 5 title "admin create grant", \
     ''       using 1:4 with linespoints lw 2 pt 9 title "admin update grant", \
     ''       using 1:5 with linespoints lw 2 pt 11 title "admin delete grant", \
     ''       using 1:6 with linespoints lw 2 pt 4 title "first discovery after realm change", \
     ''       using 1:8 with linespoints lw 2 pt 6 title "first token, node 2, after realm change", \
     ''       using 1:7 with linespoints lw 2 pt 13 title "first token, other node, after m2m change"
unset logscale y
set yrange [0:*]
set title "realm import (s)"
plot datafile using 1:9 with linespoints lw 2 pt 7 notitle
set title "heap for the m2m data, node 1 (MiB)"
set yrange [*:*]
plot datafile using 1:10 with linespoints lw 2 pt 7 notitle
unset multiplot
