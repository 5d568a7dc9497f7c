//! anju-web
