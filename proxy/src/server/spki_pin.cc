// SPKI pin computation (see spki_pin.h). The hash covers the DER SubjectPublicKeyInfo
// (algorithm + key), not the certificate, so the pin survives a renewal with the same key.
#include "leakproof/proxy/spki_pin.h"

#include "leakproof/proxy/injection.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace leakproof::proxy {

scanner::Result<SpkiPin> SpkiPinOfPemFile(const std::string& cert_path) {
  using scanner::Status;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_file(cert_path.c_str(), "r"), BIO_free);
  if (!bio) return Status::NotFound(cert_path + ": cannot open certificate file");
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  if (!cert) return Status::InvalidArgument(cert_path + ": no PEM certificate found");
  unsigned char* der = nullptr;
  const int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert.get()), &der);
  if (len <= 0) return Status::InvalidArgument(cert_path + ": cannot encode the public key");
  std::unique_ptr<unsigned char, void (*)(unsigned char*)> der_hold(
      der, [](unsigned char* p) { OPENSSL_free(p); });
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  if (EVP_Digest(der, static_cast<size_t>(len), md, &md_len, EVP_sha256(), nullptr) != 1) {
    return Status::InvalidArgument(cert_path + ": SHA-256 failed");
  }
  SpkiPin pin;
  pin.sha256_base64 = Base64Encode(std::string_view(reinterpret_cast<const char*>(md), md_len));
  std::unique_ptr<BIO, decltype(&BIO_free)> name(BIO_new(BIO_s_mem()), BIO_free);
  if (name &&
      X509_NAME_print_ex(name.get(), X509_get_subject_name(cert.get()), 0, XN_FLAG_RFC2253) >= 0) {
    char* data = nullptr;
    const long n = BIO_get_mem_data(name.get(), &data);
    if (n > 0) pin.subject.assign(data, static_cast<size_t>(n));
  }
  return pin;
}

}  // namespace leakproof::proxy
