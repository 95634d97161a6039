#!/usr/bin/env bash
# Builds the keystore and hardcoded-crypto samples of issue 14 in samples/android/, with
# the real tools (keytool, openssl, BouncyCastle, smali, aapt):
#   keystores/release.jks     JKS, EC private key, password "android"          -> found, opens
#   keystores/secret.jceks    JCEKS, AES secret key, password "keystore"       -> found, opens
#   keystores/upload.p12      PKCS#12 from keytool, password "changeit"        -> found, opens
#   keystores/empty.p12       PKCS#12 from openssl, empty password             -> found, opens
#   keystores/client.bks      BKS, private key, password "password"           -> found, opens
#   keystores/locked.p12      PKCS#12, a password not in the common list       -> found, locked
#   keystores/slow.p12        PKCS#12, "android" but 300,000 MAC iterations     -> found, locked
#   keystores/trust.jks       JKS truststore (certificate only), "changeit"    -> not reported
#   keystores/trust.bks       BKS truststore (certificate only), "changeit"    -> not reported
#   crypto/vault.apk          aapt-packaged app: classes.dex from smali with hardcoded keys,
#                             IVs and a PBE password reaching javax.crypto (and the
#                             negatives: KeyGenerator, AndroidKeyStore, a key read from a
#                             file, a SecureRandom IV), plus release.jks renamed to
#                             res/raw/session.bin (found by content, not by name)
#   crypto/classes.dex        the same DEX, for unit tests
# Every key is generated here, fresh and fake; tests assert on structure (aliases,
# passwords, rules) and on the constants written in the smali below, never on key bytes.
#
#   scripts/make-crypto-samples.sh   # Debian: default-jdk-headless libbcprov-java openssl
#                                    # libsmali-java aapt android-framework-res zip
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KS=$ROOT/samples/android/keystores
CR=$ROOT/samples/android/crypto
FW=/usr/share/android-framework-res/framework-res.apk
BC=/usr/share/java/bcprov.jar
W=$(mktemp -d /tmp/leakproof-crypto-samples.XXXXXX)
trap 'rm -rf "$W"' EXIT
for t in keytool openssl smali aapt zip; do
  command -v "$t" >/dev/null || { echo "make-crypto-samples: $t missing" >&2; exit 2; }
done
[ -f "$BC" ] || { echo "make-crypto-samples: $BC missing (libbcprov-java)" >&2; exit 2; }
rm -rf "$KS" "$CR"
mkdir -p "$KS" "$CR"
kt() { keytool "$@" >/dev/null 2>&1 || { echo "keytool $*" >&2; keytool "$@"; exit 1; }; }
BCOPT=(-provider org.bouncycastle.jce.provider.BouncyCastleProvider -providerpath "$BC")

# -- keystores
kt -genkeypair -storetype JKS -keystore "$KS/release.jks" -storepass android -keypass android \
  -alias release -keyalg EC -groupname secp256r1 -validity 3650 -dname "CN=Acme Vault Release"
kt -exportcert -keystore "$KS/release.jks" -storepass android -alias release -file "$W/release.crt"
kt -importcert -noprompt -storetype JKS -keystore "$KS/trust.jks" -storepass changeit \
  -alias acme-ca -file "$W/release.crt"
kt -genseckey -storetype JCEKS -keystore "$KS/secret.jceks" -storepass keystore -keypass keystore \
  -alias aes-master -keyalg AES -keysize 128
kt -genkeypair -storetype PKCS12 -keystore "$KS/upload.p12" -storepass changeit \
  -alias upload -keyalg EC -groupname secp256r1 -validity 3650 -dname "CN=Acme Vault Upload"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/client.key" \
  -out "$W/client.crt" -subj "/CN=Acme Vault mTLS client" -days 3650 2>/dev/null
openssl pkcs12 -export -inkey "$W/client.key" -in "$W/client.crt" -name mtls-client \
  -passout pass: -out "$KS/empty.p12"
openssl pkcs12 -export -inkey "$W/client.key" -in "$W/client.crt" -name mtls-client \
  -passout 'pass:Tz8#qLw2!vRn5&Yb' -out "$KS/locked.p12"
# Hostile-shaped: 300,000 MAC iterations, over the reader's cap, so no password is tried.
openssl pkcs12 -export -inkey "$W/client.key" -in "$W/client.crt" -name mtls-client \
  -iter 300000 -passout pass:android -out "$KS/slow.p12"
kt -importkeystore -srckeystore "$KS/release.jks" -srcstorepass android -srcalias release \
  -destkeystore "$KS/client.bks" -deststoretype BKS -deststorepass password -destkeypass password \
  "${BCOPT[@]}"
kt -importcert -noprompt -storetype BKS -keystore "$KS/trust.bks" -storepass changeit \
  -alias acme-ca -file "$W/release.crt" "${BCOPT[@]}"

# -- an app whose bytecode hardcodes crypto material
A=$W/apk
mkdir -p "$A/smali/com/acme/vault" "$A/res/raw"
cat > "$A/AndroidManifest.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="com.acme.vault" android:versionCode="1" android:versionName="1.0">
    <uses-sdk android:minSdkVersion="24" android:targetSdkVersion="33"/>
    <application android:label="Vault"/>
</manifest>
XML
cp "$KS/release.jks" "$A/res/raw/session.bin"
# AES-CBC with a key from a string constant and an IV from fill-array-data.
cat > "$A/smali/com/acme/vault/Crypto.smali" <<'SMALI'
.class public Lcom/acme/vault/Crypto;
.super Ljava/lang/Object;

.method public static encrypt([B)[B
    .registers 6
    const-string v0, "Qm7vR2xT9kLp4sWz"
    invoke-virtual {v0}, Ljava/lang/String;->getBytes()[B
    move-result-object v0
    new-instance v1, Ljavax/crypto/spec/SecretKeySpec;
    const-string v2, "AES"
    invoke-direct {v1, v0, v2}, Ljavax/crypto/spec/SecretKeySpec;-><init>([BLjava/lang/String;)V
    const/16 v0, 0x10
    new-array v0, v0, [B
    fill-array-data v0, :iv
    new-instance v2, Ljavax/crypto/spec/IvParameterSpec;
    invoke-direct {v2, v0}, Ljavax/crypto/spec/IvParameterSpec;-><init>([B)V
    const-string v3, "AES/CBC/PKCS5Padding"
    invoke-static {v3}, Ljavax/crypto/Cipher;->getInstance(Ljava/lang/String;)Ljavax/crypto/Cipher;
    move-result-object v3
    const/4 v4, 0x1
    invoke-virtual {v3, v4, v1, v2}, Ljavax/crypto/Cipher;->init(ILjava/security/Key;Ljava/security/spec/AlgorithmParameterSpec;)V
    invoke-virtual {v3, p0}, Ljavax/crypto/Cipher;->doFinal([B)[B
    move-result-object v0
    return-object v0

    :iv
    .array-data 1
        0x3at 0x91t 0x05t 0x7ct 0xe2t 0x44t 0x1bt 0xd8t
        0x6ft 0x20t 0xa7t 0x53t 0xc9t 0x0et 0xb4t 0x67t
    .end array-data
.end method
SMALI
# An HMAC key in a static final byte[] set by <clinit>, used by another method.
cat > "$A/smali/com/acme/vault/Tokens.smali" <<'SMALI'
.class public Lcom/acme/vault/Tokens;
.super Ljava/lang/Object;

.field private static final HMAC_KEY:[B

.method static constructor <clinit>()V
    .registers 2
    const/16 v0, 0x14
    new-array v0, v0, [B
    fill-array-data v0, :key
    sput-object v0, Lcom/acme/vault/Tokens;->HMAC_KEY:[B
    return-void

    :key
    .array-data 1
        0x5dt 0x17t 0xc3t 0x88t 0x2at 0xf0t 0x61t 0x9et 0x04t 0xbbt
        0x72t 0xd5t 0x3ct 0xe9t 0x10t 0x86t 0x4ft 0xa2t 0x3bt 0xc7t
    .end array-data
.end method

.method public static sign([B)[B
    .registers 5
    sget-object v0, Lcom/acme/vault/Tokens;->HMAC_KEY:[B
    new-instance v1, Ljavax/crypto/spec/SecretKeySpec;
    const-string v2, "HmacSHA256"
    invoke-direct {v1, v0, v2}, Ljavax/crypto/spec/SecretKeySpec;-><init>([BLjava/lang/String;)V
    invoke-static {v2}, Ljavax/crypto/Mac;->getInstance(Ljava/lang/String;)Ljavax/crypto/Mac;
    move-result-object v3
    invoke-virtual {v3, v1}, Ljavax/crypto/Mac;->init(Ljava/security/Key;)V
    invoke-virtual {v3, p0}, Ljavax/crypto/Mac;->doFinal([B)[B
    move-result-object v0
    return-object v0
.end method
SMALI
# A PBKDF2 password from a constant, and an AES key from a Base64 constant.
cat > "$A/smali/com/acme/vault/Backup.smali" <<'SMALI'
.class public Lcom/acme/vault/Backup;
.super Ljava/lang/Object;

.method public static derive([B)Ljavax/crypto/SecretKey;
    .registers 7
    const-string v0, "r1verstone-backup-93"
    invoke-virtual {v0}, Ljava/lang/String;->toCharArray()[C
    move-result-object v0
    new-instance v1, Ljavax/crypto/spec/PBEKeySpec;
    const/16 v2, 0x2710
    const/16 v3, 0x100
    invoke-direct {v1, v0, p0, v2, v3}, Ljavax/crypto/spec/PBEKeySpec;-><init>([C[BII)V
    const-string v2, "PBKDF2WithHmacSHA256"
    invoke-static {v2}, Ljavax/crypto/SecretKeyFactory;->getInstance(Ljava/lang/String;)Ljavax/crypto/SecretKeyFactory;
    move-result-object v2
    invoke-virtual {v2, v1}, Ljavax/crypto/SecretKeyFactory;->generateSecret(Ljava/security/spec/KeySpec;)Ljavax/crypto/SecretKey;
    move-result-object v0
    return-object v0
.end method

.method public static remoteKey()Ljavax/crypto/spec/SecretKeySpec;
    .registers 3
    const-string v0, "n2Qv4m8HcR1tYw6ZpK0sLd9fGh3jBx7A"
    const/4 v1, 0x0
    invoke-static {v0, v1}, Landroid/util/Base64;->decode(Ljava/lang/String;I)[B
    move-result-object v0
    new-instance v1, Ljavax/crypto/spec/SecretKeySpec;
    const-string v2, "AES"
    invoke-direct {v1, v0, v2}, Ljavax/crypto/spec/SecretKeySpec;-><init>([BLjava/lang/String;)V
    return-object v1
.end method
SMALI
# Negatives: keys that are not in the code.
cat > "$A/smali/com/acme/vault/SafeCrypto.smali" <<'SMALI'
.class public Lcom/acme/vault/SafeCrypto;
.super Ljava/lang/Object;

.method public static generated()Ljavax/crypto/Cipher;
    .registers 5
    const-string v0, "AES"
    invoke-static {v0}, Ljavax/crypto/KeyGenerator;->getInstance(Ljava/lang/String;)Ljavax/crypto/KeyGenerator;
    move-result-object v0
    invoke-virtual {v0}, Ljavax/crypto/KeyGenerator;->generateKey()Ljavax/crypto/SecretKey;
    move-result-object v1
    const/16 v2, 0x10
    new-array v2, v2, [B
    new-instance v3, Ljava/security/SecureRandom;
    invoke-direct {v3}, Ljava/security/SecureRandom;-><init>()V
    invoke-virtual {v3, v2}, Ljava/security/SecureRandom;->nextBytes([B)V
    new-instance v3, Ljavax/crypto/spec/IvParameterSpec;
    invoke-direct {v3, v2}, Ljavax/crypto/spec/IvParameterSpec;-><init>([B)V
    const-string v0, "AES/CBC/PKCS5Padding"
    invoke-static {v0}, Ljavax/crypto/Cipher;->getInstance(Ljava/lang/String;)Ljavax/crypto/Cipher;
    move-result-object v0
    const/4 v4, 0x1
    invoke-virtual {v0, v4, v1, v3}, Ljavax/crypto/Cipher;->init(ILjava/security/Key;Ljava/security/spec/AlgorithmParameterSpec;)V
    return-object v0
.end method

.method public static fromFile(Ljava/lang/String;)Ljavax/crypto/spec/SecretKeySpec;
    .registers 5
    const/4 v0, 0x0
    new-array v0, v0, [Ljava/lang/String;
    invoke-static {p0, v0}, Ljava/nio/file/Paths;->get(Ljava/lang/String;[Ljava/lang/String;)Ljava/nio/file/Path;
    move-result-object v0
    invoke-static {v0}, Ljava/nio/file/Files;->readAllBytes(Ljava/nio/file/Path;)[B
    move-result-object v0
    new-instance v1, Ljavax/crypto/spec/SecretKeySpec;
    const-string v2, "AES"
    invoke-direct {v1, v0, v2}, Ljavax/crypto/spec/SecretKeySpec;-><init>([BLjava/lang/String;)V
    return-object v1
.end method

.method public static fromKeyStore()Ljava/security/Key;
    .registers 4
    const-string v0, "AndroidKeyStore"
    invoke-static {v0}, Ljava/security/KeyStore;->getInstance(Ljava/lang/String;)Ljava/security/KeyStore;
    move-result-object v0
    const/4 v1, 0x0
    invoke-virtual {v0, v1}, Ljava/security/KeyStore;->load(Ljava/security/KeyStore$LoadStoreParameter;)V
    const-string v2, "vault-key"
    invoke-virtual {v0, v2, v1}, Ljava/security/KeyStore;->getKey(Ljava/lang/String;[C)Ljava/security/Key;
    move-result-object v0
    return-object v0
.end method
SMALI
( cd "$A"
  smali a -o classes.dex smali/
  aapt package -f -M AndroidManifest.xml -S res -I "$FW" -F vault.apk >/dev/null
  aapt add vault.apk classes.dex >/dev/null
)
cp "$A/vault.apk" "$A/classes.dex" "$CR/"
chmod 644 "$KS"/* "$CR"/*
ls -l "$KS" "$CR"
