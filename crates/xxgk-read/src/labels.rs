//! Label normalization and matching against the catalogue.
