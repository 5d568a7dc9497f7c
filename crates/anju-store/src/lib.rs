//! anju-store
