#ifndef KLAXON_COPENSSL_SHIM_H
#define KLAXON_COPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

// OpenSSL spells these as macros over SSL_ctrl / SSL_CTX_ctrl, which Swift cannot call.

/// Sets the server name (SNI) the client sends in its hello.
static inline int klaxon_ssl_set_server_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

/// Refuses anything older than TLS 1.2.
static inline int klaxon_ssl_ctx_require_tls12(SSL_CTX *context) {
    return (int)SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
}

/// Lets a write that had to wait be retried from a buffer at another address (Swift arrays move).
static inline void klaxon_ssl_ctx_allow_moving_write_buffer(SSL_CTX *context) {
    SSL_CTX_set_mode(context, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}

#endif
