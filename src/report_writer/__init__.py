"""report-writer: draft and check 政府信息公开工作年度报告 (see docs/architecture.md)."""
