//! anju-sheets
