import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a synthetic Auth0 tenant as Management API JSON for bench/import: {@code apis} resource servers with three
 * scopes each, {@code clients} non_interactive applications and a grant from every client to every API
 * ({@code apis * clients} grants). Usage: {@code java bench/lib/Auth0TenantGen.java 100 100 > tenant.json}
 */
public final class Auth0TenantGen {

    public static void main(String[] args) {
        int apis = Integer.parseInt(args[0]);
        int clients = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        out.println("{\"resource_servers\": [");
        for (int a = 0; a < apis; a++) {
            out.printf("  {\"name\": \"Bench API %d\", \"identifier\": \"https://bench.example/api/%d\", \"token_lifetime\": 3600,"
                    + " \"signing_alg\": \"RS256\", \"scopes\": [{\"value\": \"read:%d\"}, {\"value\": \"write:%d\"}, {\"value\": \"admin:%d\"}]}%s%n",
                    a, a, a, a, a, a < apis - 1 ? "," : "");
        }
        out.println("], \"clients\": [");
        for (int c = 0; c < clients; c++) {
            out.printf("  {\"name\": \"bench-client-%d\", \"client_id\": \"BENCH%08d\", \"app_type\": \"non_interactive\"}%s%n",
                    c, c, c < clients - 1 ? "," : "");
        }
        out.println("], \"client_grants\": [");
        for (int c = 0; c < clients; c++) {
            for (int a = 0; a < apis; a++) {
                boolean last = c == clients - 1 && a == apis - 1;
                out.printf("  {\"client_id\": \"BENCH%08d\", \"audience\": \"https://bench.example/api/%d\", \"scope\": [\"read:%d\", \"write:%d\"]}%s%n",
                        c, a, a, a, last ? "" : ",");
            }
        }
        out.println("]}");
        out.flush();
    }
}
