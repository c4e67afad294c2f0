package dev.keycloakm2m.testing;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.SignedJWT;

/** A JWT access token as a resource server sees it: signature verified against the realm's JWKS, then claims. */
public final class Jwt {

    private final SignedJWT jwt;
    private final Map<String, Object> claims;

    private Jwt(SignedJWT jwt) throws ParseException {
        this.jwt = jwt;
        this.claims = jwt.getJWTClaimsSet().toJSONObject();
    }

    /** Parses {@code token} and verifies its signature with the key its {@code kid} names in the JWKS at {@code jwksUrl}. */
    public static Jwt verified(String token, String jwksUrl) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            HttpResult r = Http.get(jwksUrl, Map.of());
            if (r.status() != 200) throw new AssertionError("JWKS: " + r);
            JWKSet set = JWKSet.parse(r.body());
            JWK jwk = set.getKeyByKeyId(jwt.getHeader().getKeyID());
            if (jwk == null) throw new AssertionError("kid " + jwt.getHeader().getKeyID() + " not in the realm JWKS");
            if (!verify(jwt, jwk)) throw new AssertionError("signature does not verify with the realm JWKS key " + jwk.getKeyID());
            return new Jwt(jwt);
        } catch (ParseException | JOSEException e) {
            throw new AssertionError("not a verifiable JWT: " + e, e);
        }
    }

    /** Parses without verifying (for tokens the test tampers with). */
    public static Jwt unverified(String token) {
        try {
            return new Jwt(SignedJWT.parse(token));
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean verify(SignedJWT jwt, JWK jwk) throws JOSEException {
        if (jwk instanceof OctetKeyPair okp) {
            // Ed25519 through the JDK (nimbus needs Tink for it)
            try {
                byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100");
                byte[] x = okp.getX().decode();
                byte[] der = new byte[spki.length + x.length];
                System.arraycopy(spki, 0, der, 0, spki.length);
                System.arraycopy(x, 0, der, spki.length, x.length);
                PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
                Signature sig = Signature.getInstance("Ed25519");
                sig.initVerify(key);
                sig.update(jwt.getSigningInput());
                return sig.verify(jwt.getSignature().decode());
            } catch (java.security.GeneralSecurityException e) {
                throw new JOSEException(e.getMessage(), e);
            }
        }
        PublicKey key = ((AsymmetricJWK) jwk).toPublicKey();
        JWSVerifier verifier = new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), key);
        return jwt.verify(verifier);
    }

    public JWSHeader header() {
        return jwt.getHeader();
    }

    public String alg() {
        return jwt.getHeader().getAlgorithm().getName();
    }

    /** Header {@code typ}, e.g. JWT or at+jwt. */
    public String typ() {
        return jwt.getHeader().getType() == null ? null : jwt.getHeader().getType().getType();
    }

    public Map<String, Object> claims() {
        return claims;
    }

    public Object claim(String name) {
        return claims.get(name);
    }

    public String string(String name) {
        Object v = claims.get(name);
        return v == null ? null : String.valueOf(v);
    }

    public long number(String name) {
        return ((Number) claims.get(name)).longValue();
    }

    public Set<String> claimNames() {
        return new TreeSet<>(claims.keySet());
    }

    /** The raw payload JSON (e.g. to check that aud is a plain string, not an array). */
    public String payloadJson() {
        return new String(jwt.getPayload().toBytes(), StandardCharsets.UTF_8);
    }

    public String serialize() {
        return jwt.serialize();
    }
}
