//! Certificates made at test time (rcgen): a CA, leaves it signs, and the rustls
//! configurations that trust or serve them. No network, no files.

use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use std::sync::Arc;
use weft::net::tls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use weft::net::tls::rustls::{ClientConfig, RootCertStore, ServerConfig};
use weft::net::tls::{TlsAcceptor, TlsConnector};

/// A certificate authority: its certificate and the key it signs with.
pub(crate) struct Ca {
    cert: rcgen::Certificate,
    key: KeyPair,
}

/// A leaf certificate and its private key.
pub(crate) struct Leaf {
    pub(crate) cert: CertificateDer<'static>,
    pub(crate) key: PrivateKeyDer<'static>,
}

impl Ca {
    /// A new self-signed CA named `name`.
    pub(crate) fn new(name: &str) -> Ca {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        Ca { cert, key }
    }

    /// A leaf for `names`, valid from 2000 to 2100.
    pub(crate) fn leaf(&self, names: &[&str]) -> Leaf {
        self.leaf_valid(names, (2000, 2100))
    }

    /// A leaf for `names` that expired in 2001.
    pub(crate) fn expired_leaf(&self, names: &[&str]) -> Leaf {
        self.leaf_valid(names, (2000, 2001))
    }

    fn leaf_valid(&self, names: &[&str], (from, until): (i32, i32)) -> Leaf {
        let names: Vec<String> = names.iter().map(|name| name.to_string()).collect();
        let mut params = CertificateParams::new(names).unwrap();
        params.not_before = date_time_ymd(from, 1, 1);
        params.not_after = date_time_ymd(until, 1, 1);
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.cert, &self.key).unwrap();
        Leaf {
            cert: cert.der().clone(),
            key: PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        }
    }

    /// A connector that trusts this CA only, offering `alpn`.
    pub(crate) fn connector(&self, alpn: &[&[u8]]) -> TlsConnector {
        TlsConnector::new(Arc::new(self.client_config(alpn)))
    }

    /// A client configuration that trusts this CA only, offering `alpn`.
    pub(crate) fn client_config(&self, alpn: &[&[u8]]) -> ClientConfig {
        let mut roots = RootCertStore::empty();
        roots.add(self.cert.der().clone()).unwrap();
        let mut config = ClientConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth();
        config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        config
    }
}

impl Leaf {
    /// A server configuration presenting this leaf, accepting `alpn`.
    pub(crate) fn server_config(&self, alpn: &[&[u8]]) -> ServerConfig {
        let mut config = ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(vec![self.cert.clone()], self.key.clone_key())
            .unwrap();
        config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        config
    }

    /// An acceptor presenting this leaf.
    pub(crate) fn acceptor(&self) -> TlsAcceptor {
        TlsAcceptor::new(Arc::new(self.server_config(&[])))
    }
}
